"""Data-parallel training on Paddle's launcher (``python3 -m paddle.distributed.launch``): rank queries,
process-group setup, and agreement between ranks. A single process is world size 1 and needs none of it."""
from __future__ import annotations

import os
from typing import Tuple


def rank_and_world() -> Tuple[int, int]:
    """This process's rank and the number of processes, as the launcher sets them (0, 1 without it)."""
    return int(os.environ.get("PADDLE_TRAINER_ID", 0)), int(os.environ.get("PADDLE_TRAINERS_NUM", 1))


def is_main_process() -> bool:
    return rank_and_world()[0] == 0


def init_process_group() -> Tuple[int, int]:
    """Join the launcher's process group (gloo on CPU, NCCL on GPU) when there is more than one process."""
    rank, world = rank_and_world()
    if world > 1:
        import paddle.distributed as dist

        if not dist.is_initialized():
            dist.init_parallel_env()
    return rank, world


def max_over_ranks(value: int, world: int) -> int:
    """The largest ``value`` of all ranks, on every rank. Used so that all ranks stop at the same step: the
    ones that went on would wait forever for the others' gradients."""
    if world <= 1:
        return value
    import paddle
    import paddle.distributed as dist

    t = paddle.to_tensor([int(value)], dtype="int32")
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return int(t.item())
