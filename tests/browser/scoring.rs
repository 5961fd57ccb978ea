//! Browser scenarios of the scoring part.
