"""Curtois & Qu employee-scheduling benchmark: instance reader and an independent scorer."""

from .instance import Cover, Instance, Request, ShiftType, Staff, best_known, load, parse
from .score import Score, read_solution, score, write_solution

__all__ = [
    "Cover", "Instance", "Request", "Score", "ShiftType", "Staff",
    "best_known", "load", "parse", "read_solution", "score", "write_solution",
]
