"""Root conftest: the docs checks (sybil over docs/ and the package's docstrings)."""

pytest_plugins = ["tools.docs_plugin"]
