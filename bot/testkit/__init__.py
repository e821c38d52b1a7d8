"""Stand-ins for Telegram that the tests, the transcript runner and the benchmark share: the
transcript client (`client`) and the fake Bot API server (`fake_bot_api`). Part of the installed
package, so `exit-coach bench` and `exit-coach test-dialogs` need nothing from `tests/`."""
