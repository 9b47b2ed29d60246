
”
®

service.name
	service-0
!
service.instance.id

2f618a0f
'
	host.name
ip-10-0-0-1.ec2.internal
 
telemetry.sdk.language
java
!
telemetry.sdk.version
1.44.0à

io.opentelemetry.httpä
íH+ÒKh¢±_KÕ/?Ú”|t%§Ãf"ªk3g&ê!*SELECT orders WHERE id = 6609Í:¦­8A1E¦­8J
	db.system

postgresqlJ4
db.statement$
"SELECT * FROM orders WHERE id = $1Z6	Í:¦­8	exception 
exception.type
TimeoutErrorz­
íH+ÒKh¢±_KÕ/?ÿCEXÄ.Æ_"ÓyÂP4îÌ*SELECT orders WHERE id = 16209UJ¦­8A™ÔR¦­8J
	db.system

postgresqlJ4
db.statement$
"SELECT * FROM orders WHERE id = $1z­
íH+ÒKh¢±_KÕ/?Ú?Ï1'ÿ®ˆ"²íúéíˆ÷*SELECT orders WHERE id = 28109•QY¦­8A`¦­8J
	db.system

postgresqlJ4
db.statement$
"SELECT * FROM orders WHERE id = $1z