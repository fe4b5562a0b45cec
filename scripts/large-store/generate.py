# Generates a large community: 8,000 households, 20,000 volunteers, and 1,000,000 service records
# spread over 2024-01-02 .. 2026-11-06 (a skewed share per volunteer: a few very active ones).
import random, datetime, sys
random.seed(7)
out = sys.argv[1]  # the folder to write households.csv, volunteers.csv and records.csv into
H, V, R = 8000, 20000, 1_000_000
first = datetime.date(2024, 1, 2); last = datetime.date(2026, 11, 6)
days = (last - first).days + 1
with open(f"{out}/households.csv", "w") as f:
    f.write("id,name,address\n")
    for h in range(1, H + 1):
        f.write(f"H{h:05d},住户{h}户,太白湖社区湖东路{h}号\n")
teams = ["red", "orange", "blue", "green", "purple"]
with open(f"{out}/volunteers.csv", "w") as f:
    f.write("id,name,household,birth_date,teams,tags,joined\n")
    for v in range(1, V + 1):
        f.write(f"V{v:05d},志愿者{v},H{(v - 1) % H + 1:05d},1970-01-01,{teams[v % 5]},,2023-06-01\n")
# Volunteer weights: the first 200 are ten times as active as the rest.
weights = [10 if v <= 200 else 1 for v in range(V)]
vols = random.choices(range(V), weights=weights, k=R)
dates = [random.randrange(days) for _ in range(R)]
rows = sorted(zip(dates, vols))
slots = {}
with open(f"{out}/records.csv", "w") as f:
    f.write("id,volunteer,category,date,start,end,verifier,tags\n")
    n = 0
    for d, v in rows:
        k = (d, v)
        s = slots.get(k, 0)
        if s >= 12: continue
        slots[k] = s + 1
        start = 8 * 60 + s * 50
        minutes = random.choice((30, 45, 60, 90))
        day = first + datetime.timedelta(days=d)
        tag = "no_show" if random.random() < 0.01 else ""
        end = start + minutes
        f.write(f"r{n:07d},V{v + 1:05d},{random.choice(teams)},{day},{start // 60:02d}:{start % 60:02d},{end // 60:02d}:{end % 60:02d},社区,{tag}\n")
        n += 1
print(n, "records")
