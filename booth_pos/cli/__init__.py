"""The headless front end: argparse commands over the same services as the app."""
