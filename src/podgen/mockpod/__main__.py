from podgen.mockpod.server import main

raise SystemExit(main())
