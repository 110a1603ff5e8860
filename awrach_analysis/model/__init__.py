"""Data model: the tables, their columns and vocabularies, and the Program that holds them."""
