"""Stage 1, ingest: transcript files of any format → decoded text → turns (who spoke, what, on which lines)."""
