#!/usr/bin/env python3
"""Generates the W5 import files: a unit tree and positions, EMPLOYEES employees, one plan each with
one work result of INDICATORS indicators, and twelve monthly realisations per indicator.

Usage: w5-generate.py FOLDER EMPLOYEES INDICATORS
"""
import os
import sys

folder, employees, indicators = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(folder, exist_ok=True)
YEAR = 2025


def nip(number):
    # Born 1970-1999 on a valid day, service from age 23, sex 1 or 2, sequence 1-999: unique per number.
    year = 1970 + number % 30
    month = 1 + (number // 30) % 12
    day = 1 + (number // 360) % 28
    service_month = 1 + (number // 10080) % 12
    sex = 1 + (number // 120960) % 2
    sequence = 1 + number // 241920
    assert sequence <= 999, "too many employees for this NIP scheme"
    return f"{year:04}{month:02}{day:02}{year + 23:04}{service_month:02}{sex}{sequence:03}"


with open(f"{folder}/units.csv", "w") as out:
    out.write("code,name,kind,parent_code\nW5,Kota W5,city,\nW5-PD,Dinas W5,perangkat_daerah,W5\n")
with open(f"{folder}/positions.csv", "w") as out:
    out.write("code,title,kind,unit_code\nW5-KADIS,Kepala Dinas,jpt_pratama,W5-PD\nW5-STAF,Pelaksana,pelaksana,W5-PD\n")
head = nip(0)
with open(f"{folder}/employees.csv", "w") as out:
    out.write("nip,name,employment_type,rank,position_code,unit_code,superior_nip\n")
    out.write(f"{head},Kepala Dinas,pns,IV/c,W5-KADIS,W5-PD,\n")
    for number in range(1, employees):
        out.write(f"{nip(number)},Pegawai {number},pns,III/a,W5-STAF,W5-PD,{head}\n")
with open(f"{folder}/plans.csv", "w") as out:
    out.write("nip,year,result_code,result_description,indicator_code,indicator_description,aspect,target_kind,target_low,unit_of_measure\n")
    for number in range(employees):
        for indicator in range(1, indicators + 1):
            out.write(f"{nip(number)},{YEAR},RHK-1,Layanan terselenggara,IKI-{indicator},Jumlah layanan {indicator},kuantitas,at_least,120,layanan\n")
with open(f"{folder}/realisations.csv", "w") as out:
    out.write("nip,year,result_code,indicator_code,period,value,evidence_note\n")
    for number in range(employees):
        code = nip(number)
        for indicator in range(1, indicators + 1):
            for month in range(1, 13):
                out.write(f"{code},{YEAR},RHK-1,IKI-{indicator},{YEAR}-{month:02},{8 + (number + month) % 5},Register\n")
