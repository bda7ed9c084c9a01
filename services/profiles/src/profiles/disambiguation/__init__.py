"""Author disambiguation: pure functions that place each authorship with a researcher, explained."""
