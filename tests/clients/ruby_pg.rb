# ruby-pg: PG.connect(host:, port:, ...) (libpq underneath)
require "pg"
e = ENV
kw = { port: e["DBL_PORT"].to_i, user: e["DBL_USER"], password: e["DBL_PASSWORD"],
       dbname: e["DBL_DB"], connect_timeout: 3 }
kw[:host] = e["DBL_HOST"] unless e["DBL_HOST"].empty?
begin
  c = PG.connect(**kw)
  puts "OK " + c.exec("SELECT coalesce(host(inet_client_addr()), 'unix')").getvalue(0, 0)
rescue PG::Error => ex
  puts "ERR #{ex.message.strip.gsub("\n", " ")}"; exit 1
end
