"""Training the claim judge (torch, on CPU): the tokenizer, the network, the data, the loop."""
