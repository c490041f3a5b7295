"""Business logic of the service, as plain functions over a SQLAlchemy session."""
