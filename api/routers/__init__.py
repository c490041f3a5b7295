"""One router module per resource; the HTML pages in ``pages``."""
