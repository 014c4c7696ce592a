"""Practice: the mock-interview flow, the review schedule, and the history of attempts."""
