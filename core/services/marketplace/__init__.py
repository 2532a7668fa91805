"""The leasing marketplace (seed 000): applications, offers, the deal room."""
