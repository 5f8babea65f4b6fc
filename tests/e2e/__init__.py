"""Browser tests (a package, so the served game is torn down when they are done)."""
