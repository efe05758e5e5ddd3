// placeholder: the fixture binary is src/release-echo.js (see README.md)
