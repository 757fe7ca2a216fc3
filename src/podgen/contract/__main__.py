from podgen.contract.cli import main

raise SystemExit(main())
