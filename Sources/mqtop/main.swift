print("mqtop")
