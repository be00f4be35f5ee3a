-- wrk script: cycles through realistic queries (names, partial names, pinyin, traditional, organizations, case
-- numbers) against the path prefix given as the first script argument ("/api/v1/entries?q=" or "/?q="), or "/health" alone.
local queries = {
  "张伟", "王芳", "李娜", "刘洋", "陈国华", "杨秀英", "赵强", "黄丽", "周杰", "吴敏",
  "张", "王", "zhangwei", "wangfang", "liuyang", "zs", "陳國華", "張偉",
  "恒达建筑", "鑫源商贸", "华信", "宏图房地产", "洛阳市恒达建筑工程有限公司", "瑞丰投资",
  "(2020)豫0311执1234号", "〔2019〕京0105执77", "欧阳", "单", "zeng", "曾伟",
}
local prefix = "/api/v1/entries?q="
local i = 0

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  if args[1] then prefix = args[1] end
end

function request()
  if prefix == "/health" then return wrk.format("GET", prefix) end -- the framework's ceiling: no query
  i = i + 1
  return wrk.format("GET", prefix .. encode(queries[(i % #queries) + 1]))
end
