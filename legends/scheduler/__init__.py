"""The one scheduler: APScheduler 3 (UTC) with its job store in the app's database, run by
``legends scheduler`` (or a thread of ``legends up``), never by a web worker, and only by
the process holding the database's "scheduler" lock. Admins edit rows; the scheduler
reconciles them into jobs (``plan``), and its jobs (``jobs``) open and close campaigns,
pay the leaderboard windows, send announcements, reset recurring quests and sweep up."""
