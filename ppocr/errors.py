"""The errors the tools report to users as one line (``ppocr.utils.cli.run_cli``), in one light module: the
predictors catch them without importing the training engine (and Paddle with it)."""


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the YAML path, flag or file."""


class CheckpointMismatch(ValueError):
    """The checkpoint's weights do not fit the model built from the config."""


class CheckpointWriteError(OSError):
    """A checkpoint could not be written (e.g. the disk is full); the previous one is left as it was."""


class NonFiniteLossError(RuntimeError):
    """The training loss became NaN or infinite; the message names the batch's files."""


class TooManyBadSamples(RuntimeError):
    """More of an epoch's samples failed to load than Global.max_bad_ratio allows."""


class StopRequested(Exception):
    """Raised inside the training loop after SIGINT/SIGTERM once 'latest' has been saved."""
