"""Sign-in with Ethereum (EIP-4361), sessions and players' accounts."""
