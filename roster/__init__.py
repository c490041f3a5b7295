"""Legevakt roster domain: models, calendar, eligibility, Excel I/O and fairness metrics."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("legevakt-roster")
except PackageNotFoundError:  # running from a checkout without installation
    __version__ = "0.0.0+checkout"
