"""One function per user action; each runs inside one unit of work handed in by the caller."""
