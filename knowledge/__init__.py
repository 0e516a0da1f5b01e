"""The component knowledge base (curated records, Chroma index, hybrid retrieval) and datasheet parsing."""
