"""Stage 3, index: attributed answers → chunks, embeddings, a lexical index and glossaries, built to disk."""
