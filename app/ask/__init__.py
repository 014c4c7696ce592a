"""Answering free-form questions from the banks: retrieval, the in-bank decision, the extractive answer."""
