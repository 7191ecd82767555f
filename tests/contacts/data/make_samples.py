"""Writes the sample contact files of this folder (run it to make them again).

Each file imitates what a real program writes: Gmail's and Outlook's CSV
exports, Excel's semicolon CSV in Windows-1251, Excel's "Unicode text"
(UTF-16, tabs), an XLSX workbook and vCards 2.1 (quoted-printable, legacy
charsets), 3.0 and 4.0.
"""

import quopri
from pathlib import Path

HERE = Path(__file__).resolve().parent


def qp(text: str, charset: str = "utf-8") -> str:
    return quopri.encodestring(text.encode(charset)).decode("ascii")


def write() -> None:
    gmail = (
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Last Name,"
        "Nickname,Organization Name,Organization Title,Notes,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
        "ნინო,,ბერიძე,Nino,Beridze,,ინტერპრესნიუსი,კორესპონდენტი,"
        '"პარლამენტი, სასამართლო",* myContacts ::: მედია,'
        "* Work,nino@interpressnews.ge ::: n.beridze@gmail.com,"
        "Mobile,+995 599 12 34 56\n"
        "გიორგი,,მაისურაძე,Giorgi,Maisuradze,,რუსთავი 2,პროდიუსერი,,"
        "* myContacts ::: მედია ::: ტელევიზია,* Work,giorgi@rustavi2.ge,"
        "Work,032 2 20 11 11\n"
    )
    (HERE / "gmail.csv").write_text(gmail, encoding="utf-8")

    outlook = (
        '"First Name","Middle Name","Last Name","Title","Company","Department",'
        '"Job Title","Business Phone","Mobile Phone","E-mail Address",'
        '"E-mail 2 Address","Categories","Notes"\r\n'
        '"Անի","","Պետրոսյան","Mrs.","Հանրային հեռուստաընկերություն","Լուրեր",'
        '"Լրագրող","+374 10 650 000","+374 91 123456","ani@1tv.am","",'
        '"Media;Armenia",""\r\n'
        '"Արամ","","Գրիգորյան","","Armenpress","","Editor","","094 555 123",'
        '"aram@armenpress.am","aram.g@gmail.com","Media",""\r\n'
    )
    (HERE / "outlook.csv").write_bytes(b"\xef\xbb\xbf" + outlook.encode("utf-8"))

    excel_1251 = (
        "Имя;Фамилия;Должность;Организация;Эл. почта;Телефон\r\n"
        "Ирина;Кузнецова;корреспондент;Спутник Грузия;irina@sputnik.ge;"
        "+995 555 00 11 22\r\n"
        "Сергей;Петров;редактор;Новости-Армения;sergey@news.am;+374 93 000111\r\n"
    )
    (HERE / "excel_semicolon_1251.csv").write_bytes(excel_1251.encode("cp1251"))

    unicode_text = (
        "Անուն\tԱզգանուն\tԷլ. փոստ\tՀեռախոս\tԿազմակերպություն\n"
        "Լիլիթ\tՍարգսյան\tlilit@azatutyun.am\t+374 99 111222\tԱզատություն\n"
        "Դավիթ\tՀակոբյան\tdavit@civilnet.am\t+374 77 333444\tCivilNet\n"
    )
    (HERE / "unicode_text_utf16.csv").write_bytes(
        unicode_text.replace("\n", "\r\n").encode("utf-16")
    )

    vcard21 = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:2.1",
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
            + qp("წიკლაური;ლევან;;;").replace("=\n", "=\r\n"),
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("ლევან წიკლაური"),
            "ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("საზოგადოებრივი"),
            "TEL;CELL;PREF:+995577123456",
            "EMAIL;INTERNET:levan@1tv.ge",
            "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + qp("ჟურნალისტი, ") + "=",
            qp("რეგიონული მედია"),
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:2.1",
            "N;CHARSET=windows-1251:",
            "FN;CHARSET=windows-1251:",
            "TEL;WORK;VOICE:+374 10 520 000",
            "EMAIL;PREF;INTERNET:elena@news.am",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:2.1",
            "N;CHARSET=ISO-8859-5;ENCODING=QUOTED-PRINTABLE:"
            + qp("Иванов;Павел;;;", "iso-8859-5"),
            "TITLE;CHARSET=ISO-8859-5;ENCODING=QUOTED-PRINTABLE:"
            + qp("Пресс-секретарь", "iso-8859-5"),
            "TEL;HOME:+995 32 2 99 88 77",
            "END:VCARD",
            "",
        ]
    )
    raw = vcard21.encode("ascii")
    # The second card's names in raw Windows-1251 bytes, as old phones wrote them.
    raw = raw.replace(
        b"N;CHARSET=windows-1251:",
        b"N;CHARSET=windows-1251:" + "Смирнова;Елена;;;".encode("cp1251"),
    ).replace(
        b"FN;CHARSET=windows-1251:",
        b"FN;CHARSET=windows-1251:" + "Елена Смирнова".encode("cp1251"),
    )
    (HERE / "phone_v21.vcf").write_bytes(raw)

    vcard30 = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "N:Մարտիրոսյան;Գայանե;;;",
            "FN:Գայանե Մարտիրոսյան",
            "X-PHONETIC-FIRST-NAME:Gayane",
            "X-PHONETIC-LAST-NAME:Martirosyan",
            "ORG:Հետք\\, անկախ լրագրողներ;Խմբագրություն",
            "TITLE:Գլխավոր խմբագիր",
            "EMAIL;TYPE=INTERNET,PREF:gayane@hetq.am",
            "TEL;TYPE=CELL:+37491000001",
            "TEL;TYPE=WORK,VOICE:+37410000002",
            "CATEGORIES:Մեդիա,Հետաքննություն",
            "NOTE:Տողերից առաջինը\\nերկրորդը\\; վերջ",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:3.0",
            "N:Hovhannisyan;Arman;;;",
            "FN:Arman Hovhannisyan",
            "EMAIL;TYPE=INTERNET:arman@example.am",
            "NOTE:A long note that is folded onto the next line by the writer, as",
            "  RFC 2425 allows.",
            "END:VCARD",
            "",
        ]
    )
    (HERE / "contacts_v30.vcf").write_text(vcard30, encoding="utf-8")

    vcard40 = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "N:გელაშვილი;თამარ;;;",
            "FN:თამარ გელაშვილი",
            "LANG:ka",
            "TEL;VALUE=uri;TYPE=cell:tel:+995-599-765-432",
            'EMAIL;TYPE="work":tamar@gov.ge',
            "ORG:საქართველოს მთავრობის ადმინისტრაცია",
            "ROLE:პრესსამსახურის უფროსი",
            "END:VCARD",
            "",
        ]
    )
    (HERE / "contacts_v40.vcf").write_text(vcard40, encoding="utf-8")

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "კონტაქტები"
    sheet.append(["სახელი", "გვარი", "თანამდებობა", "ორგანიზაცია", "ელ. ფოსტა",
                  "ტელეფონი", "ენა", "ჯგუფები"])  # fmt: skip
    sheet.append(["ეკა", "ხარაიშვილი", "ჟურნალისტი", "ფორტუნა", "eka@fortuna.ge",
                  599111222, "ka", "მედია, ეკონომიკა"])  # fmt: skip
    sheet.append(["Մարիամ", "Ավետիսյան", "", "", "mariam@", "+374 91 222333",
                  "hy", ""])  # fmt: skip
    sheet.append(["", "", "", "", "nobody@example.ge", "", "", ""])
    sheet.append(["John", "Smith", "Press officer", "EU Delegation",
                  "john.smith@eeas.europa.eu", "12", "en", ""])  # fmt: skip
    book.save(HERE / "contacts.xlsx")


if __name__ == "__main__":
    write()
