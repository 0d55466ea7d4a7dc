"""A per-installation secret key kept in the data directory, for local runs without SECRET_KEY."""

import secrets
from pathlib import Path


def local_secret_key(data_dir: Path) -> str:
    """Read ``data_dir/secret_key``, creating it (mode 0600) the first time."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        try:
            with path.open("x") as handle:
                path.chmod(0o600)
                handle.write(key)
        except FileExistsError:
            pass  # another process created it first; read theirs
    return path.read_text().strip()
