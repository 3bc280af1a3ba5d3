# ruby-mysql2: Mysql2::Client.new(host:, port:, socket:) (libmariadb underneath)
require "mysql2"
e = ENV
kw = { host: e["DBL_HOST"], port: e["DBL_PORT"].to_i, username: e["DBL_USER"],
       password: e["DBL_PASSWORD"], database: e["DBL_DB"], connect_timeout: 3 }
kw[:socket] = e["DBL_SOCKET"] unless e["DBL_SOCKET"].empty?
begin
  c = Mysql2::Client.new(**kw)
  puts "OK " + c.query("SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()", as: :array).first[0]
rescue Mysql2::Error => ex
  puts "ERR #{ex.message}"; exit 1
end
