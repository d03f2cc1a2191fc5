from booth_pos.cli.main import main

raise SystemExit(main())
