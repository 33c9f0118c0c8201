"""Thin-plate-spline rectification (the "TPS" transform of RARE / PaddleOCR 2.0).

A small CNN predicts F fiducial points on the input image; a TPS maps an evenly spaced set of F points on the
output (two rows along the top and bottom edges) onto them, and the image is resampled through that map.
The last layer starts at zero weight with the output fiducials as bias, so the module is exactly the
identity at init and learns to straighten text from there.
"""
from __future__ import annotations

import numpy as np
import paddle
import paddle.nn as nn
import paddle.nn.functional as F

from ppocr.errors import ConfigError
from ppocr.modeling.common import ConvBNLayer
from ppocr.utils.registry import RECTIFIERS

# model_name -> (conv widths of the localization net, hidden FC width)
LOC_NETS = {"small": ((16, 32, 64, 128), 64), "large": ((64, 128, 256, 512), 256)}
_EPS = 1e-9  # keeps r^2 * log(r^2) finite (-> 0) where a grid point sits exactly on a fiducial


def edge_fiducials(num_fiducial: int) -> np.ndarray:
    """[F, 2] (x, y) points in [-1, 1]: F/2 evenly along the top edge, F/2 along the bottom edge."""
    xs = np.linspace(-1.0, 1.0, num_fiducial // 2)
    top = np.stack([xs, -np.ones_like(xs)], axis=1)
    bottom = np.stack([xs, np.ones_like(xs)], axis=1)
    return np.concatenate([top, bottom], axis=0)


def _tps_kernel_np(sq_dist: np.ndarray) -> np.ndarray:
    # U(r) = r^2 log r^2 (a constant factor on log r does not change the interpolant)
    return sq_dist * np.log(sq_dist + _EPS)


def tps_inverse_kernel(ctrl: np.ndarray) -> np.ndarray:
    """Inverse of the (F+3)x(F+3) TPS system [[1, C, U(C, C)], [0, 0, C^T], [0, 0, 1^T]] for points C.

    Unknowns are ordered [a0, ax, ay, w_1..w_F]: the affine part, then one radial weight per point.
    """
    n = ctrl.shape[0]
    sq = ((ctrl[:, None, :] - ctrl[None, :, :]) ** 2).sum(-1)
    system = np.zeros((n + 3, n + 3))
    system[:n, 0] = 1.0
    system[:n, 1:3] = ctrl
    system[:n, 3:] = _tps_kernel_np(sq)
    system[n:n + 2, 3:] = ctrl.T
    system[n + 2, 3:] = 1.0
    return np.linalg.inv(system)


class LocalizationNetwork(nn.Layer):
    """conv-BN-ReLU + 2x2 max-pool blocks, global average pool, FC-ReLU, FC -> [N, F, 2] in [-1, 1]."""

    def __init__(self, in_channels: int, num_fiducial: int, loc_lr: float, model_name: str):
        super().__init__()
        widths, fc_dim = LOC_NETS[model_name]
        layers = []
        for i, width in enumerate(widths):
            layers.append(ConvBNLayer(in_channels, width, 3, act="relu"))
            layers.append(nn.AdaptiveAvgPool2D(1) if i == len(widths) - 1 else nn.MaxPool2D(2, 2))
            in_channels = width
        self.features = nn.Sequential(*layers)
        self.fc1 = nn.Linear(in_channels, fc_dim)
        self.num_fiducial = num_fiducial
        # Zero weight + fiducial bias = identity transform at init; loc_lr slows this layer down because a
        # large early step would warp the input into garbage before the recognizer has learned anything.
        init = edge_fiducials(num_fiducial).reshape(-1).astype("float32")
        self.fc2 = nn.Linear(
            fc_dim, 2 * num_fiducial,
            weight_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Constant(0.0)),
            bias_attr=paddle.ParamAttr(learning_rate=loc_lr, initializer=nn.initializer.Assign(init)))

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        x = self.features(x).flatten(start_axis=1)
        return self.fc2(F.relu(self.fc1(x))).reshape([-1, self.num_fiducial, 2])


class GridGenerator(nn.Layer):
    """Maps every output pixel through the TPS defined by the predicted fiducials -> sampling grid."""

    def __init__(self, num_fiducial: int):
        super().__init__()
        ctrl = edge_fiducials(num_fiducial)
        self.register_buffer("ctrl", paddle.to_tensor(ctrl.astype("float32")), persistable=False)
        # Solved once in float64 (the system is poorly scaled for float32), stored as float32.
        self.register_buffer("inv_kernel", paddle.to_tensor(tps_inverse_kernel(ctrl).astype("float32")),
                             persistable=False)

    def forward(self, fiducials: paddle.Tensor, height, width) -> paddle.Tensor:
        """fiducials [N, F, 2] -> grid [N, H, W, 2] in grid_sample's (x, y) order."""
        # Output pixel centres spanning [-1, 1] end to end: with align_corners=True this is the identity grid.
        ys = paddle.linspace(-1.0, 1.0, height, dtype="float32")
        xs = paddle.linspace(-1.0, 1.0, width, dtype="float32")
        gy, gx = paddle.meshgrid(ys, xs)
        points = paddle.stack([gx.flatten(), gy.flatten()], axis=1)  # [H*W, 2]
        sq = ((points.unsqueeze(1) - self.ctrl.unsqueeze(0)) ** 2).sum(-1)  # [H*W, F]
        basis = paddle.concat([paddle.ones_like(points[:, :1]), points, sq * paddle.log(sq + _EPS)], axis=1)
        # Solve for the TPS coefficients ([N, F+3, 2]) with the F+3 right-hand sides [fiducials; 0, 0, 0].
        rhs = paddle.concat([fiducials, paddle.zeros_like(fiducials[:, :3])], axis=1)
        coeffs = paddle.matmul(self.inv_kernel, rhs)  # broadcasts over the batch
        grid = paddle.matmul(basis, coeffs)  # [N, H*W, 2]
        return grid.reshape([-1, height, width, 2])


@RECTIFIERS.register(name="TPS")
class TPS(nn.Layer):
    """Rectifies [N, C, H, W] -> [N, C, H, W]; ``out_channels = in_channels``."""

    def __init__(self, in_channels: int = 3, num_fiducial: int = 20, loc_lr: float = 0.1,
                 model_name: str = "small"):
        super().__init__()
        if model_name not in LOC_NETS:
            raise ConfigError(f"Architecture.Transform.model_name must be one of {list(LOC_NETS)}, "
                              f"got '{model_name}'")
        if num_fiducial < 4 or num_fiducial % 2:
            raise ConfigError(f"Architecture.Transform.num_fiducial must be an even number >= 4, got {num_fiducial}")
        self.loc_net = LocalizationNetwork(in_channels, num_fiducial, loc_lr, model_name)
        self.grid_gen = GridGenerator(num_fiducial)
        self.out_channels = in_channels

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        height, width = x.shape[2], x.shape[3]
        if height < 0 or width < 0:  # unknown at export time: take them from the runtime shape
            height, width = paddle.shape(x)[2], paddle.shape(x)[3]
        grid = self.grid_gen(self.loc_net(x), height, width)
        if x.stop_gradient:
            # grid_sample's backward segfaults in Paddle 3.3.1 when the image does not require a gradient
            # (PADDLE_NOTES.md). Flip it on a copy so the caller's tensor is left untouched.
            x = x.clone()
            x.stop_gradient = False
        return F.grid_sample(x, grid, mode="bilinear", align_corners=True)
