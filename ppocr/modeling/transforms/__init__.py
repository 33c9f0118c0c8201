"""Input rectification networks (Architecture.Transform), registered in ``RECTIFIERS``."""
