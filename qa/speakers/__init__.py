"""Stage 2, speakers: turns → who each speaker is (roster, titles, roles, corrections) and their questions and answers."""
