"""Every edit of a campaign as a pure function, Campaign -> Campaign, with its audit row.

Scores, set-up, moderation, sealing and purging, merging; and, by the same rules, what is read
out of a campaign for subject access and HR's register. May import
`core` and `rules`; never storage, Textual, the app, the screens or the session.
"""
