#!/usr/bin/env python
"""Re-embed qa/data/background.txt with the bundled model and ship the vectors (run after editing the sentences)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.index.background import write_shipped  # noqa: E402
from qa.index.embedding import E5Embedder  # noqa: E402

if __name__ == "__main__":
    print(write_shipped(E5Embedder()))
