from animekg.cli import app

app(prog_name="animekg")
