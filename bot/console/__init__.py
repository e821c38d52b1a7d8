"""Terminal adapter for `exit-coach chat`: the same coach, no Telegram needed."""
