"""One parser per family of transcript formats: paragraphs (Markdown, 'Name: text', 'NAME. text') and captions (WebVTT, SRT)."""
