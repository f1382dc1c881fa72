"""Stage 2, speakers: turns → who each speaker is (roster, roles, corrections) and their questions and answers."""
