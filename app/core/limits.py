"""Input limits, each with one name: what the tool accepts, what the grader reads, what it shows."""

MAX_ANSWER_CHARS = 20_000  # an answer is cut here on input (web, CLI, batch), with a notice
MAX_GRADED_CHARS = 4_000  # of an accepted answer, the grader reads this much ...
MAX_GRADED_SENTENCES = 40  # ... and at most this many of its sentences
MAX_QUERY_CHARS = 2_000  # an Ask query is cut here, with a notice
MAX_ECHO_CHARS = 2_000  # the chat shows this much of a long answer, then how much more there was
MAX_UPLOAD = "20mb"  # a batch upload in the web app: about 50,000 answers of 400 characters
MAX_AUDIO_SECONDS = 300  # a spoken answer is transcribed up to five minutes (decoding stops there), with a notice
