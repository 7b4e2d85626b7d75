"""Review: the supervisor's queue and decisions on submitted referrals."""
