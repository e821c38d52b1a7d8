"""The coach's records in their tables (`bot.coach.journal.JournalRecords` on SQL).

`sql_journal.SqlJournal` is what a turn hands the coach: one user's records on the turn's
connection. Each question it is asked is answered by the module of its concern.
"""
