from podgen.cli import main

raise SystemExit(main())
