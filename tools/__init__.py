"""Build and release tooling (not deployed: excluded by ``.funcignore``)."""
