"""FastAPI service, persistence, Jinja2 pages and iCal feeds."""
