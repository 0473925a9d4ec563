# embed.cmake: turns a text file into C string literals, one per line, for an array's
# initializer (-DIN=file -DOUT=file.inc): one literal could exceed what C99 compilers take.
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REPLACE "\n" "\\n\",\n\"" text "${text}")
file(WRITE "${OUT}" "\"${text}\"\n")
