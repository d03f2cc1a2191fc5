"""Plain-Python rules of the trade: money, quantities, pricing. No SQLAlchemy, no Qt."""
