"""The interview coach.

Layers, imports pointing down only (tests/test_layers.py checks it):
- the shells: `app.cli`, `app.__main__` and `app.web` (Gradio);
- `eval`: measurement (benchmarks, training);
- the domain, one subpackage per concept: `app.core` (settings, the loaded knowledge, limits,
  fitted files), `app.stats` (agreement metrics and aggregations), `app.grading`, `app.ask`,
  `app.practice` (interview flow, schedule, history), `app.batch` (answer sets);
- `index`: banks, text, encoders, cache, lexical search and the vector store.
"""
