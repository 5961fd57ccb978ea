//! Browser scenarios of the cases part.
