"""Stage 4, search: a question → ranked, cited answers. The cross-language lexicons (crosslingual, reverse_glossary,
transliteration) live here because they answer questions; the index build only calls them to write its glossaries."""
