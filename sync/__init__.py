"""The booth-to-county wire protocol and the county sync server (see README.md, "Sync")."""
